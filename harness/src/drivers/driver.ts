import type { HttpExchange } from '../model.js';
import type { DriverId } from '../scenario/types.js';

export interface PageState {
  url: string;
  status: number;
  html: string;
  /** Visible text, whitespace collapsed. */
  text: string;
  /**
   * The user agent was sent here (a redirect, a form) but the site could not be reached, and no
   * earlier answer of the navigation came from it: the page is empty, status 0 (drivers/unreached.ts).
   */
  unreached?: string;
}

export interface CapturedTraffic {
  http: HttpExchange[];
  /** Decoded SAML Responses, in order, exactly as they went over the wire. */
  samlResponses: string[];
  samlRequests: string[];
  /** Every SAML message (requests and responses) in order, with how it travelled. */
  samlMessages?: CapturedSamlMessage[];
}

/** A SAML protocol message as it crossed the user agent. */
export interface CapturedSamlMessage {
  /** The parameter it travelled in. */
  param: 'SAMLRequest' | 'SAMLResponse';
  binding: 'redirect' | 'post';
  /** The URL it was sent to, without the query. */
  endpoint: string;
  /** HTTP-Redirect only: the query carried SigAlg and Signature (SAML Bindings 3.4.4.1). */
  querySigned?: boolean;
  /** HTTP-Redirect only: the URL's query exactly as sent, for verifying its signature. */
  query?: string;
  /** The decoded message, as it went over the wire. */
  xml: string;
}

/** The answer to a request made in the user agent's session without leaving the current page. */
export interface SideAnswer {
  url: string;
  status: number;
  contentType: string;
  text: string;
}

/** Drives a user agent through SSO: the HTTP driver or a real Chromium. */
export interface Driver {
  readonly id: DriverId;
  /** Opens a URL and follows redirects and self-submitting forms until a page needs a person. */
  goto(url: string): Promise<PageState>;
  /** Fills the IdP's login page (user picker and password) and submits it, then follows on. */
  submitLogin(login: string, password: string): Promise<PageState>;
  current(): PageState | undefined;
  /**
   * GETs a URL with the session's cookies (and keeps cookies it sets) without navigating: the
   * current page stays as it is, and the request is not part of the step's traffic.
   */
  request(url: string): Promise<SideAnswer>;
  clearCookies(): Promise<void>;
  /** Hands over the traffic seen since the last call. */
  drainTraffic(): CapturedTraffic;
  /** Saves a screenshot when the driver can; returns its path. */
  screenshot(file: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface DriverFactory {
  readonly id: DriverId;
  create(stepTimeoutMs: number): Promise<Driver>;
  close(): Promise<void>;
}
