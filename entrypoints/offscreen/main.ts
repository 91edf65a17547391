import { browser } from 'wxt/browser';
import { listenForCopyRequests } from '@/utils/offscreen';

listenForCopyRequests(browser, document);
